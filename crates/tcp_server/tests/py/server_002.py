# Notes 002 "TCP服务端": one client, every message sent straight back. Faithful copy (the notes'
# indentation restored); for the tests the address is 127.0.0.1, the port comes from the
# command line (the notes use 10050), and one added print says when it is ready.
import socket
import sys
def main():
    tcp_server =socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp_server.bind(("127.0.0.1", int(sys.argv[1])))
    # listen 变成被动套接字,只有被动套接字才能接受客服端消息
    # 128参数值 等待缓冲区,相当于容量,越大就接受越多,具体给多少,要看系统
    tcp_server.listen(128)
    print("listening on", tcp_server.getsockname(), flush=True)  # (added for the tests)
    # 返回值 客户socket---客户套接字
    # 客户端地址,标识客户端相关信息系
    clie_socket,addrs = tcp_server.accept()
    while True: # 在进行无无线循环的时候,必须放在客户套接字下面,接收上面
        # recv 是接收从客户端发过来的消息
        recv_data = clie_socket.recv(1024)
        if recv_data:
            clie_socket.send(recv_data)
            print(recv_data)
            # print(tcp_server)
            # print(clie_socket, addrs)
            # print(clie_socket)
            # print(addrs)
        else:
            clie_socket.close()
            print("客户端已关闭")
            break
    tcp_server.close()
if __name__ == '__main__':
    main()
